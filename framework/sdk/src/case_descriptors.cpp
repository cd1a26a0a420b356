#include "bre/case_descriptors.hpp"

#include <google/protobuf/descriptor.h>

#include <algorithm>

#include "bre/io.hpp"

namespace bre {
namespace {

using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;

// A descriptor field, or nullptr for anything else (ids, codes, source, unknown names).
const FieldDescriptor* descriptor_field(std::string_view name) {
  const FieldDescriptor* field = v1::CaseDescriptors::descriptor()->FindFieldByName(std::string(name));
  if (field == nullptr || field->is_repeated() || field->cpp_type() != FieldDescriptor::CPPTYPE_ENUM) {
    return nullptr;
  }
  const EnumValueDescriptor* zero = field->enum_type()->FindValueByNumber(0);
  if (zero == nullptr || zero->name().size() < 7 ||
      zero->name().compare(zero->name().size() - 7, 7, "UNKNOWN") != 0) {
    return nullptr;
  }
  return field;
}

// "TRISTATE_YES" -> "yes", using the prefix of the enum's *_UNKNOWN value.
std::string short_name(const EnumValueDescriptor& value) {
  const std::string& zero = value.type()->FindValueByNumber(0)->name();
  const std::size_t prefix = zero.size() - 7;
  return lower_ascii(value.name().substr(std::min(prefix, value.name().size())));
}

Status field_error(std::string_view field) {
  const FieldDescriptor* any = v1::CaseDescriptors::descriptor()->FindFieldByName(std::string(field));
  if (any == nullptr) {
    std::string known;
    for (const std::string& name : case_descriptor_fields()) known += (known.empty() ? "" : ", ") + name;
    return not_found("unknown descriptor field '" + std::string(field) + "'; expected one of " + known);
  }
  return invalid_argument("field '" + std::string(field) + "' of CaseDescriptors is not a descriptor");
}

std::string joined_values(const FieldDescriptor& field) {
  std::string values;
  for (int i = 1; i < field.enum_type()->value_count(); ++i) {
    values += (values.empty() ? "" : ", ") + short_name(*field.enum_type()->value(i));
  }
  return values + " or blank/unknown";
}

}  // namespace

std::vector<std::string> case_descriptor_fields() {
  std::vector<std::string> names;
  const auto* type = v1::CaseDescriptors::descriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    if (descriptor_field(type->field(i)->name()) != nullptr) names.push_back(type->field(i)->name());
  }
  return names;
}

bool is_case_descriptor(std::string_view field) { return descriptor_field(field) != nullptr; }

Expected<std::vector<std::string>> case_descriptor_values(std::string_view field) {
  const FieldDescriptor* f = descriptor_field(field);
  if (f == nullptr) return field_error(field);
  std::vector<std::string> values;
  for (int i = 0; i < f->enum_type()->value_count(); ++i) {
    if (f->enum_type()->value(i)->number() != 0) values.push_back(short_name(*f->enum_type()->value(i)));
  }
  return values;
}

Expected<std::string> case_descriptor_value(const v1::CaseDescriptors& c, std::string_view field) {
  const FieldDescriptor* f = descriptor_field(field);
  if (f == nullptr) return field_error(field);
  const int number = c.GetReflection()->GetEnumValue(c, f);
  const EnumValueDescriptor* value = f->enum_type()->FindValueByNumber(number);
  if (number == 0 || value == nullptr) return std::string("unknown");
  return short_name(*value);
}

Status set_case_descriptor(v1::CaseDescriptors& c, std::string_view field, std::string_view value) {
  const FieldDescriptor* f = descriptor_field(field);
  if (f == nullptr) return field_error(field);
  const std::string wanted = lower_ascii(trim(value));
  if (wanted.empty() || wanted == "unknown") {
    c.GetReflection()->SetEnumValue(&c, f, 0);
    return Status::ok();
  }
  for (int i = 0; i < f->enum_type()->value_count(); ++i) {
    const EnumValueDescriptor* v = f->enum_type()->value(i);
    if (short_name(*v) == wanted) {
      c.GetReflection()->SetEnumValue(&c, f, v->number());
      return Status::ok();
    }
  }
  return invalid_argument("expected " + joined_values(*f) + ", found '" + std::string(value) + "'");
}

}  // namespace bre
