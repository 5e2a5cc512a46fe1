// Reading: by stream, by position, by tenant, raw records, external ids.

#include "storage/event_store.hpp"
#include "storage/keys.hpp"
#include "storage/store_impl.hpp"

namespace fl::storage {

namespace {

store_error undecodable(std::uint64_t position, const events::decode_error& e) {
  return {store_errc::corruption, "event at position " + std::to_string(position) +
                                      " does not decode (" + std::string(to_string(e.code)) +
                                      "): " + e.message};
}

expected<events::recorded_event, store_error> decode_at(std::uint64_t position,
                                                        std::string_view stored) {
  auto rec = events::decode_record(stored);
  if (!rec) return unexpected{undecodable(position, rec.error())};
  if (rec->position != position)
    return unexpected{store_error{store_errc::corruption,
                                  "record stored at position " + std::to_string(position) +
                                      " says position " + std::to_string(rec->position)}};
  return std::move(*rec);
}

}  // namespace

expected<std::uint64_t, store_error> store_impl::stored_stream_version(
    std::string_view stream) const {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf_streams));
  std::string last = keys::scoped(stream, UINT64_MAX);
  it->SeekForPrev(last);
  if (!it->status().ok()) return unexpected{from_status(it->status(), "reading a stream version")};
  std::string prefix = keys::prefix(stream);
  if (!it->Valid() || !it->key().starts_with(prefix)) return std::uint64_t{0};
  return keys::read_be64(it->key().ToStringView().substr(prefix.size()));
}

expected<std::optional<std::uint64_t>, store_error> store_impl::stored_external_id(
    std::string_view key) const {
  std::string value;
  auto s = db->Get(rocksdb::ReadOptions(), cf_dedupe, key, &value);
  if (s.IsNotFound()) return std::optional<std::uint64_t>{};
  if (!s.ok()) return unexpected{from_status(s, "reading an external id")};
  return std::optional<std::uint64_t>{keys::read_be64(value)};
}

expected<std::vector<events::recorded_event>, store_error> store_impl::read_positions(
    const std::vector<std::uint64_t>& positions) const {
  std::vector<std::string> key_bytes;
  key_bytes.reserve(positions.size());
  for (auto p : positions) key_bytes.push_back(keys::be64(p));
  std::vector<rocksdb::Slice> key_slices(key_bytes.begin(), key_bytes.end());
  std::vector<rocksdb::PinnableSlice> values(positions.size());
  std::vector<rocksdb::Status> statuses(positions.size());
  db->MultiGet(rocksdb::ReadOptions(), cf_log, key_slices.size(), key_slices.data(), values.data(),
               statuses.data());
  std::vector<events::recorded_event> out;
  out.reserve(positions.size());
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (statuses[i].IsNotFound())
      return unexpected{store_error{store_errc::corruption, "index names position " +
                                                                std::to_string(positions[i]) +
                                                                " but the log has no such event"}};
    if (!statuses[i].ok()) return unexpected{from_status(statuses[i], "reading the log")};
    auto rec = decode_at(positions[i], values[i].ToStringView());
    if (!rec) return unexpected{rec.error()};
    out.push_back(std::move(*rec));
  }
  return out;
}

expected<std::vector<events::recorded_event>, store_error> store_impl::read_range(
    std::uint64_t from_position, std::size_t limit) const {
  std::vector<events::recorded_event> out;
  const std::uint64_t end = committed.load();
  if (from_position == 0) from_position = 1;
  if (from_position > end || limit == 0) return out;
  std::string upper_key = keys::be64(end + 1);
  rocksdb::Slice upper(upper_key);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper;
  // A scan reads each block once, in order: caching its blocks only costs
  // time and evicts those that read_stream's and read_tenant's lookups reuse.
  ro.fill_cache = false;
  out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(limit, end - from_position + 1)));
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, cf_log));
  for (it->Seek(keys::be64(from_position)); it->Valid() && out.size() < limit; it->Next()) {
    auto rec = decode_at(keys::read_be64(it->key().ToStringView()), it->value().ToStringView());
    if (!rec) return unexpected{rec.error()};
    out.push_back(std::move(*rec));
  }
  if (!it->status().ok()) return unexpected{from_status(it->status(), "reading the log")};
  return out;
}

expected<std::vector<events::recorded_event>, store_error> event_store::read_stream(
    std::string_view stream, std::uint64_t from_version, std::size_t limit) const {
  std::string prefix = keys::prefix(stream);
  std::vector<std::uint64_t> positions;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf_streams));
  for (it->Seek(keys::scoped(stream, std::max<std::uint64_t>(from_version, 1)));
       it->Valid() && it->key().starts_with(prefix) && positions.size() < limit; it->Next()) {
    positions.push_back(keys::read_be64(it->value().ToStringView()));
  }
  if (!it->status().ok()) return unexpected{from_status(it->status(), "reading a stream")};
  return impl_->read_positions(positions);
}

expected<std::vector<events::recorded_event>, store_error> event_store::read_all(
    std::uint64_t from_position, std::size_t limit) const {
  return impl_->read_range(from_position, limit);
}

expected<std::vector<events::recorded_event>, store_error> event_store::read_tenant(
    std::string_view tenant, std::uint64_t from_position, std::size_t limit) const {
  std::string prefix = keys::prefix(tenant);
  std::vector<std::uint64_t> positions;
  const std::uint64_t end = impl_->committed.load();
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf_tenants));
  for (it->Seek(keys::scoped(tenant, std::max<std::uint64_t>(from_position, 1)));
       it->Valid() && it->key().starts_with(prefix) && positions.size() < limit; it->Next()) {
    std::uint64_t p = keys::read_be64(it->key().ToStringView().substr(prefix.size()));
    if (p > end) break;
    positions.push_back(p);
  }
  if (!it->status().ok()) return unexpected{from_status(it->status(), "reading a tenant's events")};
  return impl_->read_positions(positions);
}

expected<void, store_error> event_store::for_each_stored(
    std::uint64_t from_position,
    const std::function<bool(std::uint64_t, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf_log));
  for (it->Seek(keys::be64(std::max<std::uint64_t>(from_position, 1))); it->Valid(); it->Next()) {
    if (!fn(keys::read_be64(it->key().ToStringView()), it->value().ToStringView())) break;
  }
  if (!it->status().ok()) return unexpected{from_status(it->status(), "reading the log")};
  return {};
}

std::uint64_t event_store::last_position() const {
  return impl_->committed.load();
}

bool event_store::wait_for_position(std::uint64_t position,
                                    std::chrono::milliseconds timeout) const {
  std::unique_lock lk(impl_->commit_mu);
  return impl_->commit_cv.wait_for(lk, timeout,
                                   [&] { return impl_->committed.load() >= position; });
}

expected<std::uint64_t, store_error> event_store::stream_version(std::string_view stream) const {
  return impl_->stored_stream_version(stream);
}

expected<std::optional<std::uint64_t>, store_error> event_store::find_external_id(
    std::string_view tenant, std::string_view id) const {
  return impl_->stored_external_id(keys::external_id(tenant, id));
}

std::unique_ptr<subscription> event_store::subscribe(std::uint64_t after_position,
                                                     subscription::batch_handler on_events,
                                                     subscription::error_handler on_error) {
  return std::make_unique<subscription>(impl_, after_position, std::move(on_events),
                                        std::move(on_error));
}

}  // namespace fl::storage
