#!/usr/bin/python3
"""The smallest WebKitGTK browser WebKitWebDriver can drive: Debian's WebKitGTK library (the
engine under test, the same one MiniBrowser wraps) in a GTK window, through PyGObject.

Why not MiniBrowser itself: in automation mode it creates its web views with default
settings, so its `--enable-write-console-messages-to-stdout` is lost, and classic WebDriver
has no console access at all. This shell turns that setting on for every web view, so every
console message of a page, its workers and its service worker (and every uncaught error)
goes to stdout, where the harness reads it; and it sends every request not for 127.0.0.1 to
the recording proxy given with --proxy.

Run by WebKitWebDriver as `webkit_shell.py --automation [--proxy URL] [--ignore-host HOST]`
(`webkitgtk:browserOptions`); it needs Debian's python3-gi and gir1.2-webkit2-4.1.
"""

import argparse
import os
import sys
import tempfile

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--automation", action="store_true")
    parser.add_argument("--proxy")
    parser.add_argument("--ignore-host", action="append", default=[])
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--data-dir", help="the profile (cache, storage); a temporary one if none")
    args, rest = parser.parse_known_args()
    width, height = (int(n) for n in args.size.split("x"))
    Gtk.init([sys.argv[0]])

    # Not an ephemeral session (MiniBrowser's in automation mode): WebKit writes no console
    # message of an ephemeral page to stdout.
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="webkit-shell-")
    manager = WebKit2.WebsiteDataManager(base_data_directory=data_dir,
                                         base_cache_directory=os.path.join(data_dir, "cache"))
    if args.proxy:
        manager.set_network_proxy_settings(
            WebKit2.NetworkProxyMode.CUSTOM,
            WebKit2.NetworkProxySettings.new(args.proxy, args.ignore_host or None))
    context = WebKit2.WebContext.new_with_website_data_manager(manager)
    context.set_automation_allowed(args.automation)
    settings = WebKit2.Settings()
    settings.set_enable_write_console_messages_to_stdout(True)
    windows = []

    def new_view(*_):
        view = WebKit2.WebView(web_context=context, settings=settings,
                               is_controlled_by_automation=args.automation)
        window = Gtk.Window()
        window.set_default_size(width, height)
        window.add(view)
        window.show_all()
        windows.append(window)

        def closed(_view):
            windows.remove(window)
            window.destroy()
            if not windows and not args.automation:
                Gtk.main_quit()

        view.connect("close", closed)
        return view

    def automation_started(_context, session):
        info = WebKit2.ApplicationInfo()
        info.set_name("webkit_shell")
        info.set_version(WebKit2.get_major_version(), WebKit2.get_minor_version(),
                         WebKit2.get_micro_version())
        session.set_application_info(info)
        session.connect("create-web-view", new_view)

    context.connect("automation-started", automation_started)
    if not args.automation:  # by hand: `webkit_shell.py URL`
        urls = [a for a in rest if not a.startswith("-")]
        new_view().load_uri(urls[0] if urls else "about:blank")
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
