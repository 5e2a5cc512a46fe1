#include "domain/technician.hpp"

#include <array>
#include <cmath>

#include "domain/dispatch_streams.hpp"

namespace fl::domain {

namespace {

using decision = expected<std::vector<events::event>, directory_error>;

constexpr std::array all_statuses{technician_status::available, technician_status::enroute,
                                  technician_status::on_site, technician_status::complete};

unexpected<directory_error> fail(directory_errc code, std::string field, std::string message) {
  return unexpected{directory_error{code, std::move(field), std::move(message)}};
}

bool same_details(const technician_state& s, const person_details& d) {
  return s.first_name == d.first_name && s.last_name == d.last_name && s.phone == d.phone;
}

expected<person_details, directory_error> checked(person_details d, std::string_view region) {
  d.address.clear();
  return check_person_details(d, region);
}

decision decide_register(const technician_state& s, const register_technician& cmd,
                         const technician_context& ctx) {
  if (!is_valid_entity_id(cmd.id))
    return fail(directory_errc::invalid_id, "id", "a technician id is 1..64 of A-Z a-z 0-9 _ -");
  auto details = checked(cmd.details, ctx.region);
  if (!details) return unexpected{details.error()};
  if (s.registered()) {
    if (s.id == cmd.id && same_details(s, *details)) return std::vector<events::event>{};
    return fail(directory_errc::already_registered, "id",
                "technician " + cmd.id + " exists already");
  }
  return std::vector<events::event>{events::technician_registered{
      cmd.id, details->first_name, details->last_name, details->phone}};
}

decision decide_update(const technician_state& s, const update_technician& cmd,
                       const technician_context& ctx) {
  auto details = checked(cmd.details, ctx.region);
  if (!details) return unexpected{details.error()};
  if (same_details(s, *details)) return std::vector<events::event>{};
  return std::vector<events::event>{
      events::technician_updated{details->first_name, details->last_name, details->phone}};
}

decision decide_status(const technician_state& s, const change_technician_status& cmd) {
  auto status = parse_technician_status(cmd.status);
  if (!status)
    return fail(directory_errc::unknown_status, "status",
                "status must be available, enroute, on_site or complete");
  if (cmd.job_id && !is_valid_entity_id(*cmd.job_id))
    return fail(directory_errc::invalid_id, "job_id", "a job id is 1..64 of A-Z a-z 0-9 _ -");
  std::optional<std::string> job;
  if (*status != technician_status::available) {
    job = cmd.job_id ? cmd.job_id : s.job_id;
    if (!job)
      return fail(directory_errc::missing_job, "job_id",
                  std::string(to_string(*status)) + " needs the job it is about");
  }
  if (*status == s.status && job == s.job_id) return std::vector<events::event>{};
  return std::vector<events::event>{
      events::technician_status_changed{std::string(to_string(*status)), job, "reported"}};
}

decision decide_location(const technician_state& s, const record_location& cmd,
                         const technician_context& ctx) {
  const geo_point at{cmd.lat, cmd.lon};
  if (!is_valid_position(at))
    return fail(directory_errc::invalid_position, "lat",
                "lat must be -90..90 and lon -180..180, both finite");
  const fl::timestamp recorded_at = cmd.recorded_at.value_or(ctx.now);
  std::optional<double> speed = cmd.speed_mps;
  if (speed && !(std::isfinite(*speed) && *speed >= 0)) speed.reset();

  const events::technician_located as_event{cmd.lat, cmd.lon, to_micros(recorded_at), speed};
  std::vector<events::event> out{as_event};
  if (moves_technician(s, as_event) && s.status == technician_status::enroute && s.job_id &&
      ctx.destination && inside_geofence(at, *ctx.destination, ctx.geofence_radius_m))
    out.emplace_back(events::technician_status_changed{
        std::string(to_string(technician_status::on_site)), s.job_id, "geofence"});
  return out;
}

}  // namespace

std::string_view to_string(technician_status s) {
  switch (s) {
    case technician_status::available:
      return "available";
    case technician_status::enroute:
      return "enroute";
    case technician_status::on_site:
      return "on_site";
    case technician_status::complete:
      return "complete";
  }
  return "unknown";
}

std::optional<technician_status> parse_technician_status(std::string_view name) {
  for (auto s : all_statuses)
    if (to_string(s) == name) return s;
  return std::nullopt;
}

location_fix fix_of(const events::technician_located& e) {
  return location_fix{{e.lat, e.lon}, from_micros(e.recorded_at_us), e.speed_mps};
}

bool moves_technician(const technician_state& state, const events::technician_located& e) {
  const auto* latest = state.track.latest();
  return !latest || from_micros(e.recorded_at_us) > latest->recorded_at;
}

decision decide(const technician_state& state, const technician_command& command,
                const technician_context& context) {
  if (!state.registered() && !std::holds_alternative<register_technician>(command))
    return fail(directory_errc::not_registered, "", "no such technician");
  return std::visit(
      events::overloaded{
          [&](const register_technician& c) { return decide_register(state, c, context); },
          [&](const update_technician& c) { return decide_update(state, c, context); },
          [&](const change_technician_status& c) { return decide_status(state, c); },
          [&](const record_location& c) { return decide_location(state, c, context); },
      },
      command);
}

void evolve(technician_state& state, const events::event& event) {
  std::visit(events::overloaded{
                 [&](const events::technician_registered& e) {
                   state.id = e.technician_id;
                   state.first_name = e.first_name;
                   state.last_name = e.last_name;
                   state.phone = e.phone;
                 },
                 [&](const events::technician_updated& e) {
                   state.first_name = e.first_name;
                   state.last_name = e.last_name;
                   state.phone = e.phone;
                 },
                 [&](const events::technician_status_changed& e) {
                   // `decide` never emits an unknown status; a hand-written log might.
                   if (auto status = parse_technician_status(e.status)) state.status = *status;
                   state.job_id = e.job_id;
                 },
                 [&](const events::technician_located& e) {
                   if (!state.track.add(fix_of(e))) ++state.stale_fixes;
                 },
                 [](const auto&) {},
             },
             event);
  ++state.version;
}

}  // namespace fl::domain
