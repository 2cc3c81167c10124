"""Component ids, one place for all of them. Each page owns one class; add ids to your page's class only."""


class Shell:
    location = "url"
    notices = "page-notices"


class Overview:
    cards = "overview-cards"


class Encounters:
    query = "enc-query"
    sink = "enc-url-sink"


class Compare:
    query = "cmp-query"
    sink = "cmp-url-sink"


class Map:
    query = "map-query"
    sink = "map-url-sink"


class Reported:
    query = "rep-query"
    sink = "rep-url-sink"


class Violence:
    query = "vio-query"
    sink = "vio-url-sink"


class Data:
    query = "data-query"
    sink = "data-url-sink"
