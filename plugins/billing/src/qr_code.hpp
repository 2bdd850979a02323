#pragma once
/// QR code images of a text (the PIX payload), through libqrencode.

#include <string>
#include <string_view>

namespace tessera::plugins::billing {

/// An SVG image of `text` as a QR code (error correction M, 4-module quiet zone), one
/// path in a viewBox of modules so it scales without blur. Throws std::runtime_error if
/// the text cannot be encoded.
std::string qrSvg(std::string_view text);

/// A PNG of the same code, `scale` pixels per module, grayscale 8-bit.
std::string qrPng(std::string_view text, int scale);

}  // namespace tessera::plugins::billing
