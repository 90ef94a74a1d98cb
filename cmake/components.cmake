# The ledger's crypto adapters: optional components, each linking one crypto library. The core
# (evmarket::evmarket) needs neither; a consumer asks for one with
#   find_package(evmarket REQUIRED COMPONENTS sodium)   # or openssl
find_package(sodium 1.0.18)
evmarket_add_component(sodium sodium sodium::sodium)

find_package(OpenSSL 3.0 COMPONENTS Crypto)
evmarket_add_component(openssl OpenSSL OpenSSL::Crypto)

# OCPP smart-charging profiles (evmarket/interop/ocpp.hpp): JSON messages through nlohmann/json.
#   find_package(evmarket REQUIRED COMPONENTS ocpp)
find_package(nlohmann_json 3.10)
evmarket_add_component(ocpp nlohmann_json nlohmann_json::nlohmann_json)
