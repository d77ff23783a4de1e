// Renders per second of the built-in template pack, on one core:
//   compose - the worker's path: template lookup (cached parse), render for the channel and
//             its limits (Zalo text), for the sample shopper's full context;
//   render  - the Mustache engine alone on the parsed templates.
// Usage: pheu_templates_bench [seconds per measurement = 3]
#include "bot/playbook/builtin_seed.h"
#include "bot/playbook/message_composer.h"
#include "common/shop_time.h"
#include "store/migrations.h"
#include "store/database.h"
#include "templates/builtin_pack.h"
#include "templates/mustache.h"
#include "templates/template_cache.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <variant>

using namespace pheu;
using Clock = std::chrono::steady_clock;

namespace {
constexpr std::int64_t k_now = 1795428900000;

template <typename Pass> void measure(const char* name, double seconds, std::size_t per_pass, Pass pass) {
    std::size_t renders = 0;
    std::size_t bytes = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    while (elapsed < seconds) {
        bytes += pass();
        renders += per_pass;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    std::printf("templates %s: %zu renders of the %zu built-in templates in %.2f s = %.0f renders/s "
                "(%.0f bytes per message on average)\n",
                name, renders, per_pass, elapsed, static_cast<double>(renders) / elapsed,
                static_cast<double>(bytes) / static_cast<double>(renders));
}
} // namespace

int main(int argc, char** argv) {
    spdlog::set_level(spdlog::level::warn);
    const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
    const auto path = std::filesystem::temp_directory_path() / ("pheu-templates-" + std::to_string(::getpid()) + ".db");
    {
        auto db = store::open_and_migrate(path.string());
        bot::seed_builtin_pack(*db, k_now);
        templates::TemplateCache cache;
        pheu::common::ShopTime clock("Asia/Ho_Chi_Minh");
        bot::MessageComposer composer(*db, cache, clock);
        const nlohmann::json context = composer.sample_context(k_now);
        const auto& pack = templates::builtin_pack().templates;

        measure("compose", seconds, pack.size(), [&] {
            std::size_t bytes = 0;
            for (const auto& item : pack) {
                auto composed = composer.compose(item.id, bot::Channel::zalo, context);
                if (const auto* message = std::get_if<bot::ComposedMessage>(&composed)) {
                    bytes += message->text.size();
                }
            }
            return bytes;
        });

        std::vector<templates::TemplatePtr> parsed;
        for (const auto& item : pack) {
            auto result = templates::Template::parse(item.body);
            if (auto* ok = std::get_if<templates::TemplatePtr>(&result)) {
                parsed.push_back(*ok);
            }
        }
        templates::RenderOptions options;
        options.escape_html = false;
        measure("render", seconds, parsed.size(), [&] {
            std::size_t bytes = 0;
            for (const auto& tmpl : parsed) {
                bytes += tmpl->render(context, options).size();
            }
            return bytes;
        });
    }
    std::filesystem::remove(path);
    return 0;
}
