// Bad usage found after the options were parsed: options that exclude each other, a missing companion option,
// a value out of its range. The front end prints it like any Error but exits with 2, as for a parse error.
#pragma once
#include "genomap/core/error.hpp"

namespace genomap {

class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace genomap
