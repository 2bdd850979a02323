#include "qr_code.hpp"

#include <memory>
#include <stdexcept>
#include <vector>

#include <png.h>
#include <qrencode.h>

namespace tessera::plugins::billing {
namespace {

constexpr int kQuietZone = 4;

using QrPtr = std::unique_ptr<QRcode, decltype(&QRcode_free)>;

QrPtr encode(std::string_view text) {
    const std::string copy(text);  // qrencode needs a NUL-terminated string
    QRcode* code = QRcode_encodeString8bit(copy.c_str(), 0, QR_ECLEVEL_M);
    if (!code) throw std::runtime_error("the text cannot be encoded as a QR code");
    return QrPtr(code, &QRcode_free);
}

bool dark(const QRcode& code, int x, int y) { return (code.data[y * code.width + x] & 1) != 0; }

}  // namespace

std::string qrSvg(std::string_view text) {
    const auto code = encode(text);
    const int size = code->width + 2 * kQuietZone;
    std::string path;
    for (int y = 0; y < code->width; ++y)
        for (int x = 0; x < code->width; ++x)
            if (dark(*code, x, y))
                path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h1v1h-1z";
    const std::string s = std::to_string(size);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s +
           " " + s + "\" shape-rendering=\"crispEdges\"><rect width=\"" + s + "\" height=\"" + s +
           "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
}

std::string qrPng(std::string_view text, int scale) {
    const auto code = encode(text);
    const int pixels = (code->width + 2 * kQuietZone) * scale;
    std::string out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    if (!png) throw std::runtime_error("libpng: cannot create writer");
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        throw std::runtime_error("libpng: cannot create info");
    }
    std::vector<png_byte> row(static_cast<std::size_t>(pixels));
    // libpng reports errors by longjmp; nothing with a destructor is created between
    // setjmp and the writes except `row` and `out`, which outlive this frame.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        throw std::runtime_error("libpng: writing failed");
    }
    png_set_write_fn(
        png, &out,
        [](png_structp p, png_bytep data, png_size_t length) {
            static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(data), length);
        },
        nullptr);
    png_set_IHDR(png, info, pixels, pixels, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int py = 0; py < pixels; ++py) {
        const int y = py / scale - kQuietZone;
        for (int px = 0; px < pixels; ++px) {
            const int x = px / scale - kQuietZone;
            const bool inside = x >= 0 && y >= 0 && x < code->width && y < code->width;
            row[static_cast<std::size_t>(px)] = inside && dark(*code, x, y) ? 0 : 255;
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

}  // namespace tessera::plugins::billing
