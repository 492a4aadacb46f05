// Store requests: how a sans-I/O session asks for store work that the transport completes (park-and-resume, the
// model of OpenSMTPD's smtp/queue split). The session builds a request, parks (reads no further input, answers
// nothing more), and the transport runs the request - at once (the simulator), or on a worker thread together with
// other sessions' requests (`mailsim serve`: group commit) - and resumes the session with the result.
//
// Contract
// - A `DeliveryRequest` is all or nothing: the message is delivered to every target, or (on the first failure) the
//   copies already made are removed and the error is returned with the index of the target that failed. A result
//   with a value means every copy is durable (MailStore::deliver's contract), so an SMTP server may answer 250.
// - A `RemovalRequest` removes copies made by an earlier delivery (rolling back a message whose relay hand-over then
//   failed); it is best effort, like `MailStore::remove` during a rollback.
// - The request owns its bytes: the session may be destroyed while its request runs; the transport then drops the
//   result.
// - `MailStore::deliverBatch` runs several delivery requests at once. Stores may share work between them (the
//   Maildir store fsyncs each file, then each directory touched once: group commit); the results are the same as
//   running them one by one, in order.
#pragma once

#include "store/MailStore.hpp"

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mailsim::store {

// One copy of a message: a user's folder.
struct DeliveryTarget {
    std::string user;
    std::string folder = "INBOX";
};

struct DeliveryRequest {
    std::vector<DeliveryTarget> targets;
    std::string message;           // any line ends
    std::int64_t internalDate = 0; // microseconds
};

struct DeliveryFailure {
    std::size_t target = 0;  // index into DeliveryRequest::targets of the copy that failed
    StoreError error;
};
// One MessageInfo per target, in order, or why the delivery failed (nothing delivered).
using DeliveryResult = std::expected<std::vector<MessageInfo>, DeliveryFailure>;

struct RemovalRequest {
    std::vector<std::pair<DeliveryTarget, std::uint32_t>> copies;  // folder and UID of each copy to remove
};

using StoreRequest = std::variant<DeliveryRequest, RemovalRequest>;
// A removal's result is an empty vector.
using StoreResult = DeliveryResult;

// Runs one delivery request against `store` the plain way: deliver to each target in order, and on a failure remove
// the copies made so far. The default `MailStore::deliverBatch` uses it.
DeliveryResult deliverOneByOne(MailStore& store, const DeliveryRequest& request);
// Runs a batch of requests: the deliveries through `store.deliverBatch` (one batch, shared work), the removals one
// by one. Results in request order.
std::vector<StoreResult> runStoreRequests(MailStore& store, std::span<const StoreRequest> requests);

}  // namespace mailsim::store
