#pragma once
// libcurl's process-wide initialisation is not thread-safe; every user calls this first.

#include <mutex>

#include <curl/curl.h>

namespace tessera::host {

inline void curlGlobalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace tessera::host
