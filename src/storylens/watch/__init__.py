"""`storylens watch`: poll feeds continuously (``poller.py``) from a list of feeds (``feedlist.py``)."""
