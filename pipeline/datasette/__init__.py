"""The Datasette plugin: reading pages for the release's articles and entities.

Registered through the `datasette` entry point as this package (not `plugin`, a module), because
Datasette finds a plugin's `templates/` and `static/` beside the module it registers, and on
Python 3.11 only a package has such a folder.
"""

from pipeline.datasette.plugin import (
    asgi_wrapper,
    extra_body_script,
    extra_css_urls,
    extra_template_vars,
    prepare_connection,
    register_routes,
    render_cell,
)

__all__ = [
    "asgi_wrapper",
    "extra_body_script",
    "extra_css_urls",
    "extra_template_vars",
    "prepare_connection",
    "register_routes",
    "render_cell",
]
