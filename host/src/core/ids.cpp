#include "core/ids.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>

#include <tessera/sdk/rest/ids.hpp>

namespace tessera::host {

std::string newRecordId(std::string_view prefix, std::size_t chars) {
    if (chars == 0 || chars > kRecordIdChars) throw std::invalid_argument("a record id has 1 to 20 random characters");
    std::string id(prefix);
    return id += sdk::rest::randomIdChars(chars);
}

std::string newSortableId(std::string_view prefix) {
    static std::atomic<std::uint64_t> last{0};
    const auto now = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    std::uint64_t t = last.load();
    while (!last.compare_exchange_weak(t, std::max(now, t + 1))) {
    }
    t = std::max(now, t + 1);
    static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";  // ASCII order = digit order
    std::string id(prefix);
    for (int i = 10; i >= 0; --i) id += kAlphabet[(t >> (5 * i)) & 31];
    return id + newRecordId("", 9);
}

}  // namespace tessera::host
