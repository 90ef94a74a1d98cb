// Fixture for the record-tag check: repeats first.hpp's tag under another name.
namespace record_tags {
inline constexpr std::uint16_t second_record = 0x0a01;
}  // namespace record_tags
