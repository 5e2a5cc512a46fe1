#pragma once

#include "projections/projection.hpp"

namespace fl::projections {

/// The directory: customers, technicians, jobs, contractors and properties
/// as their streams made them, listed by id. Keys, after `<tenant>` NUL:
/// - `C` id → customer_record; `T` id → technician_record; `J` id → job_record
/// - `P` phone → the ids of the customers with that phone (`encode_ids`)
/// - `O` phone → "1": the phone's conversation is opted out. Kept whether or
///   not a customer has the phone yet, so a customer registered (or moved)
///   to an opted-out number shows it at once.
/// - `K` id → contractor_record; `Y` id → property_record
/// - `H` phone → the id of the contractor with that phone
///
/// v2: contractors and properties. v3: contractors taken off properties.
class directory_projection final : public projection {
 public:
  static constexpr std::string_view family_name = "directory";
  std::string_view name() const override { return family_name; }
  int version() const override { return 3; }
  void apply(const events::recorded_event& e, write_set& out) override;

  static constexpr char customer_tag = 'C';
  static constexpr char technician_tag = 'T';
  static constexpr char job_tag = 'J';
  static constexpr char phone_tag = 'P';
  static constexpr char opted_out_tag = 'O';
  static constexpr char contractor_tag = 'K';
  static constexpr char property_tag = 'Y';
  static constexpr char contractor_phone_tag = 'H';
};

}  // namespace fl::projections
