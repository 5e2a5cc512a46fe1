#pragma once

#include <type_traits>
#include <utility>
#include <variant>

namespace fl {

/// The error side of an `expected`, spelled out at the return site:
/// `return unexpected{store_error{...}};`.
template <class E>
struct unexpected {
  E error;
};
template <class E>
unexpected(E) -> unexpected<E>;

/// A value or an error: how fieldline returns expected failures (C++20 has no
/// std::expected). Accessing the wrong side is a programming error.
template <class T, class E>
class [[nodiscard]] expected {
 public:
  expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  expected(unexpected<E> err) : state_(std::in_place_index<1>, std::move(err.error)) {}

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E& error() & { return std::get<1>(state_); }
  const E& error() const& { return std::get<1>(state_); }
  E&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, E> state_;
};

/// Success without a value, or an error.
template <class E>
class [[nodiscard]] expected<void, E> {
 public:
  expected() = default;
  expected(unexpected<E> err) : error_(std::move(err.error)), ok_(false) {}

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const E& error() const& { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_{};
  bool ok_ = true;
};

}  // namespace fl
