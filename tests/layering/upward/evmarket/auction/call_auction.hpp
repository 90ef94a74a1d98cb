#pragma once
/// @file
/// Fixture: an auction header (a component; including the ledger is allowed).
#include <evmarket/ledger/encoding.hpp>
