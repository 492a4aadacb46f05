#include "sim/net/Scheduler.hpp"

#include <algorithm>

namespace mailsim::sim {

void Scheduler::at(trace::Micros when, Action action) {
    m_queue.push(Item{std::max(when, m_now), m_seq++, std::move(action), false});
    ++m_foreground;
}

void Scheduler::atBackground(trace::Micros when, Action action) {
    m_queue.push(Item{std::max(when, m_now), m_seq++, std::move(action), true});
}

void Scheduler::advanceTo(trace::Micros when) { m_now = std::max(m_now, when); }

bool Scheduler::runNext() {
    if (m_queue.empty()) return false;
    // priority_queue::top is const; the action is moved out through a copy of the item.
    Item item = std::move(const_cast<Item&>(m_queue.top()));
    m_queue.pop();
    if (!item.background) --m_foreground;
    ++m_actionsRun;
    m_now = std::max(m_now, item.when);
    item.action();
    return true;
}

std::size_t Scheduler::runUntilIdle(std::size_t maxActions) {
    std::size_t n = 0;
    while (n < maxActions && m_foreground > 0 && runNext()) ++n;
    return n;
}

std::size_t Scheduler::runUntil(trace::Micros when, std::size_t maxActions) {
    std::size_t n = 0;
    while (n < maxActions && !m_queue.empty() && m_queue.top().when <= when && runNext()) ++n;
    advanceTo(when);
    return n + runUntilIdle(maxActions - n);
}

std::uint64_t Scheduler::uniform(std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(m_rng);
}

}  // namespace mailsim::sim
