// `fieldline`: the one binary. Parses the command line and hands over to a
// command; wiring of the layers happens in the commands.

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "app/commands.hpp"
#include "app/config.hpp"

namespace {

struct server_flags {
  std::string listen, data, public_url, config_file;
};

void add_server_flags(CLI::App& cmd, server_flags& flags) {
  cmd.add_option("--listen", flags.listen, "host:port to listen on (default 127.0.0.1:8080)");
  cmd.add_option("--data", flags.data, "data directory (default ./data)");
  cmd.add_option("--public-url", flags.public_url, "URL Twilio uses to reach this server");
  cmd.add_option("--config", flags.config_file, "JSON configuration file");
}

fl::expected<fl::app::config, std::string> load_config(const server_flags& flags) {
  fl::app::setting_values given;
  if (!flags.listen.empty()) given["listen"] = flags.listen;
  if (!flags.data.empty()) given["data_dir"] = flags.data;
  if (!flags.public_url.empty()) given["public_url"] = flags.public_url;
  fl::app::setting_values file;
  if (!flags.config_file.empty()) {
    auto loaded = fl::app::from_config_file(flags.config_file);
    if (!loaded) return fl::unexpected{loaded.error()};
    file = std::move(*loaded);
  }
  return fl::app::resolve_config(given, fl::app::from_environment(std::getenv), file);
}

std::string data_dir_or_env(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("FIELDLINE_DATA_DIR"); env && *env) return env;
  return "./data";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fieldline: text messaging for field-service businesses"};
  app.require_subcommand(1);

  server_flags serve_flags, demo_flags;
  auto* serve = app.add_subcommand("serve", "run the server");
  add_server_flags(*serve, serve_flags);
  auto* demo = app.add_subcommand("demo", "run the server with a seeded demo tenant");
  add_server_flags(*demo, demo_flags);

  std::string data, stream, as_of;
  auto* replay = app.add_subcommand("replay", "print events from the log as NDJSON");
  replay->add_option("--data", data, "data directory (default ./data)");
  replay->add_option("--stream", stream, "only this stream");
  replay->add_option("--as-of", as_of, "only events recorded up to this RFC 3339 time");
  auto* rebuild = app.add_subcommand("rebuild", "rebuild every projection from the log");
  rebuild->add_option("--data", data, "data directory (default ./data)");
  auto* verify = app.add_subcommand("verify", "check the hash chain and the projections");
  verify->add_option("--data", data, "data directory (default ./data)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : fl::app::exit_usage;
  }

  if (serve->parsed() || demo->parsed()) {
    bool is_demo = demo->parsed();
    auto cfg = load_config(is_demo ? demo_flags : serve_flags);
    if (!cfg) {
      std::cerr << "fieldline: configuration: " << cfg.error() << "\n";
      return fl::app::exit_usage;
    }
    return fl::app::run_serve(*cfg, is_demo);
  }
  if (replay->parsed())
    return fl::app::run_replay(data_dir_or_env(data),
                               stream.empty() ? std::nullopt : std::optional(stream),
                               as_of.empty() ? std::nullopt : std::optional(as_of));
  if (rebuild->parsed()) return fl::app::run_rebuild(data_dir_or_env(data));
  if (verify->parsed()) return fl::app::run_verify(data_dir_or_env(data));
  return fl::app::exit_usage;
}
