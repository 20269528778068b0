"""Views of the clients app, one module per page family."""
