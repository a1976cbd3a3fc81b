"""Start the app: ``python serve.py [streamlit options]`` is ``streamlit run app.py [options]`` with one
difference: Streamlit's old automatic multipage mode (which turns a ``pages/`` folder next to the main
script into a menu of its own) is switched off before the server starts. ``app.py``'s ``st.navigation``
is then the only router, also for the very first request after a restart to a page URL such as
``/peta`` (with plain ``streamlit run``, that first request runs the page file on its own, outside
the router and its role checks; see streamlit/streamlit#10276)."""

import os
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

PagesManager.uses_pages_directory = False

if __name__ == "__main__":
    os.umask(0o077)  # the database, its write-ahead log and the pseudonym key: the app's own user only
    sys.argv = ["streamlit", "run", str(Path(__file__).resolve().parent / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())
