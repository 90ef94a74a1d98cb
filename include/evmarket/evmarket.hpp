#pragma once
/// @file
/// Umbrella header: every component of the permissive core. Components with their own
/// dependency (evmarket::lp, the ledger adapters) have umbrella headers of their own.

#include <evmarket/config.hpp>
#include <evmarket/version.hpp>

#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/rounding.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/allocation/proportional.hpp>
#include <evmarket/allocation/credit_priority.hpp>

#include <evmarket/credit/ahp.hpp>
#include <evmarket/credit/creditworthiness.hpp>

#include <evmarket/auction/trade.hpp>
#include <evmarket/auction/order.hpp>
#include <evmarket/auction/order_book.hpp>
#include <evmarket/auction/call_auction.hpp>
#include <evmarket/auction/metrics.hpp>
#include <evmarket/auction/rules/mcafee.hpp>
#include <evmarket/auction/rules/midpoint_per_match.hpp>
#include <evmarket/auction/rules/pay_as_bid.hpp>
#include <evmarket/auction/rules/pay_as_offer.hpp>
#include <evmarket/auction/rules/sbba.hpp>
#include <evmarket/auction/rules/trade_reduction.hpp>
#include <evmarket/auction/rules/uniform_price.hpp>
#include <evmarket/auction/rules/vcg.hpp>

#include <evmarket/ledger/authenticated.hpp>
#include <evmarket/ledger/block.hpp>
#include <evmarket/ledger/chain.hpp>
#include <evmarket/ledger/concepts.hpp>
#include <evmarket/ledger/encoding.hpp>
#include <evmarket/ledger/merkle.hpp>
#include <evmarket/ledger/participants.hpp>
#include <evmarket/ledger/sealed.hpp>
#include <evmarket/ledger/trace.hpp>
#if __has_include(<unistd.h>)
#include <evmarket/ledger/store.hpp>  // the durable store needs POSIX files
#endif

#include <evmarket/coalition/game.hpp>
#include <evmarket/coalition/kohlberg.hpp>
#include <evmarket/coalition/assignment_nucleolus.hpp>

#include <evmarket/coordination/bid_curve.hpp>
#include <evmarket/coordination/dual_price.hpp>
#include <evmarket/coordination/rolling.hpp>

#include <evmarket/curve/bancor.hpp>
#include <evmarket/curve/bancor_evm.hpp>

#include <evmarket/matching/b_matching.hpp>
#include <evmarket/matching/benefit.hpp>
#include <evmarket/matching/hungarian.hpp>

#include <evmarket/market/charging_strategies.hpp>
#include <evmarket/market/clock.hpp>
#include <evmarket/market/coalition_market.hpp>
#include <evmarket/market/coalition_scenario.hpp>
#include <evmarket/market/continuous_market.hpp>
#include <evmarket/market/curve_market.hpp>
#include <evmarket/market/curve_records.hpp>
#include <evmarket/market/ledger_sink.hpp>
#include <evmarket/market/network.hpp>
#include <evmarket/market/penalty.hpp>
#include <evmarket/market/phase.hpp>
#include <evmarket/market/quota_market.hpp>
#include <evmarket/market/reservation_market.hpp>
#include <evmarket/market/records.hpp>
#include <evmarket/market/roster.hpp>
#include <evmarket/market/session_records.hpp>
#include <evmarket/market/settlement.hpp>
#include <evmarket/market/tariff.hpp>
