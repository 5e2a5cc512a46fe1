// Replay: the whole log, or a range of it, decoded as fast as two cores allow
// (a reader thread scans RocksDB ahead while the caller decodes). What
// projection rebuilds and subscription catch-up run on.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "storage/event_store.hpp"
#include "storage/keys.hpp"
#include "storage/store_impl.hpp"

namespace fl::storage {

namespace {

// Raw records read ahead, in one buffer to spare an allocation per record,
// with the JSON parser's padding after the last.
struct raw_chunk {
  std::vector<std::uint64_t> positions;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, length in `bytes`
  std::string bytes;
  void clear() {
    positions.clear();
    spans.clear();
    bytes.clear();
  }
};

// A bounded hand-off from the reader thread to the decoding caller. Decoded
// chunks go back to the reader to be filled again: a chunk is megabytes, and
// fresh ones cost a page fault per 4 KB and copies as they grow.
class chunk_queue {
 public:
  explicit chunk_queue(std::size_t capacity) : capacity_(capacity) {}

  // False if the consumer stopped: the reader should stop too.
  bool push(raw_chunk chunk) {
    std::unique_lock lk(mu_);
    not_full_.wait(lk, [&] { return chunks_.size() < capacity_ || stopped_; });
    if (stopped_) return false;
    chunks_.push_back(std::move(chunk));
    not_empty_.notify_one();
    return true;
  }
  void finish(std::optional<store_error> error) {
    std::lock_guard lk(mu_);
    finished_ = true;
    error_ = std::move(error);
    not_empty_.notify_one();
  }
  // The next chunk, or nullopt at the end (then `error()` says why, if not done).
  std::optional<raw_chunk> pop() {
    std::unique_lock lk(mu_);
    not_empty_.wait(lk, [&] { return !chunks_.empty() || finished_; });
    if (chunks_.empty()) return std::nullopt;
    raw_chunk c = std::move(chunks_.front());
    chunks_.pop_front();
    not_full_.notify_one();
    return c;
  }
  void stop() {
    std::lock_guard lk(mu_);
    stopped_ = true;
    not_full_.notify_one();
  }
  std::optional<store_error> error() {
    std::lock_guard lk(mu_);
    return error_;
  }
  void recycle(raw_chunk chunk) {
    chunk.clear();
    std::lock_guard lk(mu_);
    if (spare_.size() < capacity_) spare_.push_back(std::move(chunk));
  }
  // An emptied chunk with its buffers, if one came back.
  raw_chunk reuse() {
    std::lock_guard lk(mu_);
    if (spare_.empty()) return {};
    raw_chunk c = std::move(spare_.back());
    spare_.pop_back();
    return c;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<raw_chunk> chunks_;
  std::vector<raw_chunk> spare_;
  std::size_t capacity_;
  bool finished_ = false;
  bool stopped_ = false;
  std::optional<store_error> error_;
};

// The chunk with the JSON parser's padding after its last record.
raw_chunk sealed(raw_chunk chunk) {
  chunk.bytes.append(events::json_padding, '\0');
  return chunk;
}

void read_ahead(const store_impl& impl, std::uint64_t from, std::uint64_t to,
                std::size_t batch_size, chunk_queue& queue) {
  std::string upper_key = keys::be64(to + 1);
  rocksdb::Slice upper(upper_key);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper;
  ro.fill_cache = false;  // each block is read once, in order
  ro.readahead_size = 2 << 20;
  std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(ro, impl.cf_log));
  // A fresh chunk gets the room the last one needed: grown by appends, its
  // bytes would be copied and paged in about twice over.
  std::size_t last_bytes = 0;
  auto fresh = [&] {
    raw_chunk c = queue.reuse();
    c.positions.reserve(batch_size);
    c.spans.reserve(batch_size);
    c.bytes.reserve(last_bytes + last_bytes / 8 + events::json_padding);
    return c;
  };
  raw_chunk chunk = fresh();
  for (it->Seek(keys::be64(from)); it->Valid(); it->Next()) {
    auto value = it->value();
    chunk.positions.push_back(keys::read_be64(it->key().ToStringView()));
    chunk.spans.emplace_back(chunk.bytes.size(), value.size());
    chunk.bytes.append(value.data(), value.size());
    if (chunk.positions.size() == batch_size) {
      last_bytes = chunk.bytes.size();
      if (!queue.push(sealed(std::move(chunk)))) return;
      chunk = fresh();
    }
  }
  if (!it->status().ok()) {
    queue.finish(from_status(it->status(), "reading the log"));
    return;
  }
  if (!chunk.positions.empty() && !queue.push(sealed(std::move(chunk)))) return;
  queue.finish(std::nullopt);
}

}  // namespace

expected<void, store_error> event_store::replay(
    std::uint64_t from_position, std::uint64_t to_position,
    const std::function<bool(std::span<const events::recorded_event>)>& on_batch,
    std::size_t batch_size) const {
  return impl_->replay(from_position, to_position, on_batch, batch_size);
}

expected<void, store_error> event_store::replay_owned(
    std::uint64_t from_position, std::uint64_t to_position,
    const std::function<bool(std::vector<events::recorded_event>&&)>& on_batch,
    std::size_t batch_size, const spare_batch& spare) const {
  return impl_->replay_owned(from_position, to_position, on_batch, batch_size, spare);
}

expected<void, store_error> store_impl::replay(
    std::uint64_t from_position, std::uint64_t to_position,
    const std::function<bool(std::span<const events::recorded_event>)>& on_batch,
    std::size_t batch_size) const {
  // The caller only looks at each batch: the next one is decoded into it.
  std::vector<events::recorded_event> done;
  return replay_owned(
      from_position, to_position,
      [&](std::vector<events::recorded_event>&& batch) {
        bool more = on_batch(std::span<const events::recorded_event>(batch));
        done = std::move(batch);
        return more;
      },
      batch_size, [&] { return std::move(done); });
}

expected<void, store_error> store_impl::replay_owned(
    std::uint64_t from_position, std::uint64_t to_position,
    const std::function<bool(std::vector<events::recorded_event>&&)>& on_batch,
    std::size_t batch_size,
    const std::function<std::vector<events::recorded_event>()>& spare) const {
  from_position = std::max<std::uint64_t>(from_position, 1);
  to_position = std::min(to_position, committed.load());
  if (from_position > to_position) return {};
  batch_size = std::max<std::size_t>(batch_size, 1);

  // Reading is several times faster than decoding: two chunks ahead keep
  // the decoder fed.
  chunk_queue queue(2);
  std::thread reader([&] { read_ahead(*this, from_position, to_position, batch_size, queue); });
  std::optional<store_error> failure;
  std::uint64_t expected = from_position;
  while (auto chunk = queue.pop()) {
    // Decoded into a batch done with when there is one: its events' strings
    // have room for the new ones, and its memory is paged in already.
    std::vector<events::recorded_event> batch;
    if (spare) batch = spare();
    const std::size_t n = chunk->positions.size();
    if (batch.size() > n) batch.resize(n);
    batch.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (i == batch.size()) batch.emplace_back();
      auto& rec = batch[i];
      auto [offset, length] = chunk->spans[i];
      // The records lie end to end, the last followed by the parser's padding:
      // each is parsed where it lies.
      auto decoded =
          events::decode_record_into(std::string_view(chunk->bytes).substr(offset, length), rec,
                                     chunk->bytes.size() - offset - length);
      if (!decoded || rec.position != chunk->positions[i] || rec.position != expected) {
        failure = store_error{
            store_errc::corruption,
            "event at position " + std::to_string(chunk->positions[i]) +
                (decoded ? " is not the one expected there (" + std::to_string(expected) + ")"
                         : " does not decode: " + decoded.error().message)};
        break;
      }
      ++expected;
    }
    queue.recycle(std::move(*chunk));
    if (failure || !on_batch(std::move(batch))) break;
  }
  queue.stop();
  reader.join();
  if (failure) return unexpected{std::move(*failure)};
  if (auto error = queue.error()) return unexpected{std::move(*error)};
  return {};
}

}  // namespace fl::storage
