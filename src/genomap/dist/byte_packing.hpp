// Packing plain values into a byte string and reading them back in the same order: the form in which ranks
// send each other their reports and partial results (dist/mpi.hpp). Same machine, same layout: no byte-order
// change.
#pragma once
#include <cstring>
#include <string>

namespace genomap::mpi {

template <class T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <class T>
T take(const char*& at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  at += sizeof value;
  return value;
}

}  // namespace genomap::mpi
