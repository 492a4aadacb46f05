#include "store/StoreRequest.hpp"

namespace mailsim::store {

DeliveryResult deliverOneByOne(MailStore& store, const DeliveryRequest& request) {
    std::vector<MessageInfo> done;
    for (std::size_t i = 0; i < request.targets.size(); ++i) {
        const auto& t = request.targets[i];
        auto res = store.deliver(t.user, t.folder, request.message, request.internalDate);
        if (!res) {
            for (std::size_t j = 0; j < done.size(); ++j)
                (void)store.remove(request.targets[j].user, request.targets[j].folder, done[j].uid);
            return std::unexpected(DeliveryFailure{i, res.error()});
        }
        done.push_back(std::move(*res));
    }
    return done;
}

std::vector<DeliveryResult> MailStore::deliverBatch(std::span<const DeliveryRequest* const> requests) {
    std::vector<DeliveryResult> out;
    out.reserve(requests.size());
    for (const auto* r : requests) out.push_back(deliverOneByOne(*this, *r));
    return out;
}

std::vector<StoreResult> runStoreRequests(MailStore& store, std::span<const StoreRequest> requests) {
    std::vector<StoreResult> out(requests.size(), std::vector<MessageInfo>{});
    std::vector<const DeliveryRequest*> deliveries;
    std::vector<std::size_t> where;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (const auto* d = std::get_if<DeliveryRequest>(&requests[i])) {
            deliveries.push_back(d);
            where.push_back(i);
        } else {
            for (const auto& [t, uid] : std::get<RemovalRequest>(requests[i]).copies)
                (void)store.remove(t.user, t.folder, uid);
        }
    }
    if (!deliveries.empty()) {
        auto results = store.deliverBatch(deliveries);
        for (std::size_t k = 0; k < results.size(); ++k) out[where[k]] = std::move(results[k]);
    }
    return out;
}

}  // namespace mailsim::store
