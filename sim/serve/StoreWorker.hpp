// The store worker of `mailsim serve`: the transport half of park-and-resume (engine/store/StoreRequest.hpp) on a
// real disk. Sessions parked on a store request hand it over with `submit`; one worker thread takes everything
// submitted so far as one batch, runs it (`store::runStoreRequests`: the Maildir store's group commit shares the
// directory fsyncs of every delivery in the batch), and reports the results; the poll loop wakes up on `wakeFd`,
// takes them (`takeCompleted`) and resumes the sessions. Meanwhile the loop keeps serving every other connection, so
// one delivery's fsyncs no longer stall the others, and deliveries that arrive while a batch is being made durable
// form the next batch.
//
// Contract
// - Results come back exactly once per submitted request, in submission order within a batch, each only after its
//   request finished (for a delivery: durable, MailStore::deliver's contract).
// - A store used by the worker must be safe to use from two threads (MaildirStore locks every operation).
// - The destructor finishes every request already submitted (a message the worker has started is made durable, or
//   fails cleanly), then joins the thread. Results not taken are dropped.
#pragma once

#include "store/StoreRequest.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace mailsim::sim {

class StoreWorker {
public:
    StoreWorker();
    ~StoreWorker();
    StoreWorker(const StoreWorker&) = delete;
    StoreWorker& operator=(const StoreWorker&) = delete;

    // Readable (POLLIN) while completed results wait to be taken.
    int wakeFd() const { return m_wakeFd; }
    // `ticket` names the request for the caller (e.g. the connection number).
    void submit(std::uint64_t ticket, store::MailStore& store, store::StoreRequest request);
    struct Completed {
        std::uint64_t ticket = 0;
        store::StoreResult result;
    };
    std::vector<Completed> takeCompleted();
    // Requests submitted and not yet taken back (queued, running, or completed and waiting).
    std::size_t outstanding() const;
    // How many batches ran and the largest one, for the benchmark's notes.
    std::uint64_t batches() const;
    std::size_t largestBatch() const;

private:
    struct Job {
        std::uint64_t ticket = 0;
        store::MailStore* store = nullptr;
        store::StoreRequest request;
    };
    void run();

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    std::vector<Completed> m_done;
    std::size_t m_outstanding = 0;
    std::uint64_t m_batches = 0;
    std::size_t m_largestBatch = 0;
    bool m_stop = false;
    int m_wakeFd = -1;
    std::thread m_thread;  // last: started once everything above exists
};

}  // namespace mailsim::sim
