#include "sim/serve/StoreWorker.hpp"

#include <cstdio>
#include <map>

#include <sys/eventfd.h>
#include <unistd.h>

namespace mailsim::sim {

StoreWorker::StoreWorker() : m_wakeFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)), m_thread([this] { run(); }) {
    if (m_wakeFd < 0) std::perror("mailsim serve: eventfd");
}

StoreWorker::~StoreWorker() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
    if (m_wakeFd >= 0) ::close(m_wakeFd);
}

void StoreWorker::submit(std::uint64_t ticket, store::MailStore& store, store::StoreRequest request) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back({ticket, &store, std::move(request)});
        ++m_outstanding;
    }
    m_wake.notify_one();
}

std::vector<StoreWorker::Completed> StoreWorker::takeCompleted() {
    std::uint64_t counter = 0;
    (void)!::read(m_wakeFd, &counter, sizeof counter);  // reset the eventfd (EAGAIN when nothing was signalled)
    std::lock_guard lock(m_mutex);
    m_outstanding -= m_done.size();
    return std::exchange(m_done, {});
}

std::size_t StoreWorker::outstanding() const {
    std::lock_guard lock(m_mutex);
    return m_outstanding;
}

std::uint64_t StoreWorker::batches() const {
    std::lock_guard lock(m_mutex);
    return m_batches;
}

std::size_t StoreWorker::largestBatch() const {
    std::lock_guard lock(m_mutex);
    return m_largestBatch;
}

void StoreWorker::run() {
    for (;;) {
        std::deque<Job> batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_queue.empty()) return;  // stopping, and everything submitted is done
            batch.swap(m_queue);
            ++m_batches;
            m_largestBatch = std::max(m_largestBatch, batch.size());
        }
        // One batch per store (a scenario network serves several hosts), in submission order within each.
        std::map<store::MailStore*, std::vector<std::size_t>> byStore;
        for (std::size_t i = 0; i < batch.size(); ++i) byStore[batch[i].store].push_back(i);
        std::vector<Completed> done(batch.size());
        for (auto& [st, indices] : byStore) {
            std::vector<store::StoreRequest> requests;
            requests.reserve(indices.size());
            for (std::size_t i : indices) requests.push_back(std::move(batch[i].request));
            auto results = store::runStoreRequests(*st, requests);
            for (std::size_t k = 0; k < indices.size(); ++k)
                done[indices[k]] = {batch[indices[k]].ticket, std::move(results[k])};
        }
        {
            std::lock_guard lock(m_mutex);
            for (auto& d : done) m_done.push_back(std::move(d));
        }
        std::uint64_t one = 1;
        (void)!::write(m_wakeFd, &one, sizeof one);
    }
}

}  // namespace mailsim::sim
