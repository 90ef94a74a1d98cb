// Fixture for the record-tag check: this tag is used again in second.hpp.
namespace record_tags {
inline constexpr std::uint16_t first_record = 0x0A01;
}  // namespace record_tags
