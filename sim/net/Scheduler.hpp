// The deterministic discrete-event scheduler: virtual time and seeded randomness for everything in the simulator.
//
// Contract
// - Time is virtual, in microseconds, and only moves when `runNext`/`runUntilIdle` take the next due action.
//   Nothing reads the wall clock, so a scenario run twice with the same seed produces the same trace, byte for byte.
// - Actions due at the same time run in the order they were scheduled (a sequence number breaks ties).
// - Foreground and background work. An ordinary action (`at`, `after`) is foreground: bytes in flight, a greeting
//   due, a delivery attempt just started. A background action (`atBackground`, `afterBackground`) is a timer that
//   should fire only while virtual time is made to pass: an MTA's next queue retry, the end of an outage.
//   `runUntilIdle` runs actions in time order (background ones too, when they come before a foreground one) until
//   no foreground action is left, so one scenario step never jumps hours ahead; `runUntil(t)` (a scenario `wait`)
//   runs everything due up to `t`, moves the clock to `t`, then finishes the foreground work that started.
// - `rng()` is the one source of randomness (std::mt19937_64 seeded from the scenario), used for segment splitting
//   and link loss (connection attempts, segments).
#pragma once

#include "trace/Trace.hpp"

#include <cstdint>
#include <functional>
#include <queue>
#include <random>
#include <vector>

namespace mailsim::sim {

class Scheduler {
public:
    using Action = std::function<void()>;

    explicit Scheduler(trace::Micros start = 0, std::uint64_t seed = 1) : m_now(start), m_rng(seed) {}

    trace::Micros now() const { return m_now; }
    void at(trace::Micros when, Action action);
    void after(trace::Micros delay, Action action) { at(m_now + delay, std::move(action)); }
    void atBackground(trace::Micros when, Action action);
    void afterBackground(trace::Micros delay, Action action) { atBackground(m_now + delay, std::move(action)); }
    // Moves the clock forward without running anything (a scenario `wait` with nothing scheduled).
    void advanceTo(trace::Micros when);

    // No foreground action is pending (background timers may be).
    bool idle() const { return m_foreground == 0; }
    std::size_t pending() const { return m_queue.size(); }
    // Runs the earliest action; false when there is none.
    bool runNext();
    // Runs actions until none is left or `maxActions` ran (a guard against a scenario that never settles);
    // returns the number of actions run.
    std::size_t runUntilIdle(std::size_t maxActions = 10'000'000);
    // Runs every action due at or before `when` (foreground and background), moves the clock to `when`, then runs
    // the foreground work still pending; returns the number of actions run.
    std::size_t runUntil(trace::Micros when, std::size_t maxActions = 10'000'000);
    std::uint64_t actionsRun() const { return m_actionsRun; }

    std::mt19937_64& rng() { return m_rng; }
    // Uniform integer in [lo, hi].
    std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi);

private:
    struct Item {
        trace::Micros when;
        std::uint64_t seq;
        Action action;
        bool background = false;
    };
    struct Later {
        bool operator()(const Item& a, const Item& b) const {
            return a.when != b.when ? a.when > b.when : a.seq > b.seq;
        }
    };
    trace::Micros m_now;
    std::uint64_t m_seq = 0;
    std::size_t m_foreground = 0;
    std::uint64_t m_actionsRun = 0;
    std::priority_queue<Item, std::vector<Item>, Later> m_queue;
    std::mt19937_64 m_rng;
};

}  // namespace mailsim::sim
