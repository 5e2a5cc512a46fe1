// Walking the hash chain.

#include "base/hex.hpp"
#include "storage/event_store.hpp"
#include "storage/keys.hpp"
#include "storage/store_impl.hpp"

namespace fl::storage {

verify_report event_store::verify() const {
  verify_report report;
  auto fail = [&](std::uint64_t position, std::string problem) {
    report.ok = false;
    report.first_bad_position = position;
    report.problem = std::move(problem);
    return false;
  };

  // The chain up to the head as it is now: appends made while walking are
  // the next verify's (a live server keeps appending).
  const std::uint64_t head = last_position();
  sha256_hasher hasher;
  sha256_digest prev{};
  std::uint64_t expected_position = 1;
  auto walked = for_each_stored(1, [&](std::uint64_t position, std::string_view stored) {
    if (position > head) return false;
    if (position != expected_position)
      return fail(expected_position, "position " + std::to_string(expected_position) +
                                         " is missing (next stored is " + std::to_string(position) +
                                         ")");
    auto parts = events::split_stored(stored);
    if (!parts) return fail(position, parts.error().message);
    if (events::chain_hash(hasher, prev, parts->canonical) != parts->hash)
      return fail(position, "hash mismatch: the stored bytes were altered");
    auto rec = events::decode_record(stored);
    if (!rec) return fail(position, "does not decode: " + rec.error().message);
    if (rec->position != position)
      return fail(position, "record says position " + std::to_string(rec->position));
    if (rec->prev_hash != prev)
      return fail(position,
                  "prev_hash " + to_hex(rec->prev_hash) + " does not link to " + to_hex(prev));

    std::string indexed;
    auto s = impl_->db->Get(rocksdb::ReadOptions(), impl_->cf_streams,
                            keys::scoped(rec->stream, rec->version), &indexed);
    if (!s.ok() || keys::read_be64(indexed) != position)
      return fail(position, "stream index does not point at this event");
    s = impl_->db->Get(rocksdb::ReadOptions(), impl_->cf_tenants,
                       keys::scoped(rec->tenant, position), &indexed);
    if (!s.ok()) return fail(position, "tenant index lacks this event");

    prev = parts->hash;
    ++report.events_checked;
    ++expected_position;
    return true;
  });
  if (!walked) {
    report.ok = false;
    report.problem = walked.error().message;
    return report;
  }
  if (report.ok && report.events_checked != head) {
    report.ok = false;
    report.first_bad_position = report.events_checked + 1;
    report.problem = "the head says " + std::to_string(head) + " events, the log holds " +
                     std::to_string(report.events_checked);
  }
  return report;
}

}  // namespace fl::storage
