#pragma once

// The frozen stored format of the ticket session events, v1. Keys in
// ascending order.

#include "events/field_table.hpp"
#include "events/ticket_events.hpp"

namespace fl::events {

constexpr auto fields(std::type_identity<ticket_started>) {
  return std::tuple{field("property_id", &ticket_started::property_id),
                    field("property_name", &ticket_started::property_name),
                    field("ticket_id", &ticket_started::ticket_id)};
}

constexpr auto fields(std::type_identity<ticket_details_added>) {
  return std::tuple{field("bag_salt", &ticket_details_added::bag_salt),
                    field("bulk_salt_quantity", &ticket_details_added::bulk_salt_quantity),
                    field("bulk_salt_unit", &ticket_details_added::bulk_salt_unit),
                    field("calcium_chloride", &ticket_details_added::calcium_chloride),
                    field("equipment", &ticket_details_added::equipment),
                    field("message_id", &ticket_details_added::message_id),
                    field("note", &ticket_details_added::note),
                    field("ticket_id", &ticket_details_added::ticket_id),
                    field("work_finished_at_us", &ticket_details_added::work_finished_at_us),
                    field("work_started_at_us", &ticket_details_added::work_started_at_us)};
}

constexpr auto fields(std::type_identity<ticket_completed>) {
  return std::tuple{field("ticket_id", &ticket_completed::ticket_id)};
}

constexpr auto fields(std::type_identity<ticket_session_moved>) {
  return std::tuple{field("choices", &ticket_session_moved::choices),
                    field("state", &ticket_session_moved::state)};
}

constexpr auto fields(std::type_identity<ticket_text_read>) {
  return std::tuple{field("attempts", &ticket_text_read::attempts),
                    field("bag_salt", &ticket_text_read::bag_salt),
                    field("bulk_salt_quantity", &ticket_text_read::bulk_salt_quantity),
                    field("bulk_salt_unit", &ticket_text_read::bulk_salt_unit),
                    field("calcium_chloride", &ticket_text_read::calcium_chloride),
                    field("confidence", &ticket_text_read::confidence),
                    field("equipment", &ticket_text_read::equipment),
                    field("fallback_reason", &ticket_text_read::fallback_reason),
                    field("intent", &ticket_text_read::intent),
                    field("interpreter", &ticket_text_read::interpreter),
                    field("message_sid", &ticket_text_read::message_sid),
                    field("model", &ticket_text_read::model),
                    field("notes", &ticket_text_read::notes),
                    field("property_hint", &ticket_text_read::property_hint),
                    field("replies", &ticket_text_read::replies),
                    field("work_finished_minutes", &ticket_text_read::work_finished_minutes),
                    field("work_started_minutes", &ticket_text_read::work_started_minutes)};
}

}  // namespace fl::events
