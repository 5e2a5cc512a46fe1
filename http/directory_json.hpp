#pragma once

// The directory routes' answers (`/customers`, `/technicians`, `/jobs`),
// written with json_out: keys in ascending order, times RFC 3339 UTC.

#include <string>

#include "projections/directory_reads.hpp"

namespace fl::http {

std::string customer_json(const projections::customer_record& c);
std::string technician_json(const projections::technician_record& t);
std::string job_json(const projections::job_record& j);

/// `{"items": [...], "next_cursor": ...}`
std::string customers_json(const projections::directory_page<projections::customer_record>& page);
std::string technicians_json(
    const projections::directory_page<projections::technician_record>& page);
std::string jobs_json(const projections::directory_page<projections::job_record>& page);

}  // namespace fl::http
