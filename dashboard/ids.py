"""Component ids, one place for all of them. Each page owns one class; add ids to your page's class only."""


class Shell:
    location = "url"
    notices = "page-notices"


class Overview:
    cards = "overview-cards"


class Encounters:
    query = "enc-query"
    sink = "enc-url-sink"
    dataset = "enc-dataset"
    component = "enc-component"
    area = "enc-area"
    citizenship = "enc-citizenship"
    demographic = "enc-demographic"
    title = "enc-title"
    type = "enc-type"
    from_ = "enc-from"
    to = "enc-to"
    breakdown = "enc-breakdown"
    mode = "enc-mode"
    scale = "enc-scale"
    graph = "enc-graph"
    alt = "enc-alt"
    events = "enc-events"


class Compare:
    query = "cmp-query"
    sink = "cmp-url-sink"
    cities = "cmp-cities"
    year = "cmp-year"
    km = "cmp-km"
    deaths = "cmp-deaths"
    axis = "cmp-axis"
    percap = "cmp-percap"
    sort = "cmp-sort"
    order = "cmp-order"
    status = "cmp-status"
    mpp = "cmp-mpp"
    mpp_alt = "cmp-mpp-alt"
    homicides = "cmp-homicides"
    homicides_alt = "cmp-homicides-alt"
    deaths_graph = "cmp-deaths-graph"
    deaths_alt = "cmp-deaths-alt"
    encounters = "cmp-encounters"
    encounters_alt = "cmp-encounters-alt"
    monthly = "cmp-monthly"
    monthly_alt = "cmp-monthly-alt"
    table = "cmp-table"
    unattributed = "cmp-unattributed"


class Map:
    query = "map-query"
    sink = "map-url-sink"
    metric = "map-metric"
    layer = "map-layer"
    from_ = "map-from"
    to = "map-to"
    graph = "map-graph"
    alt = "map-alt"
    table = "map-table"
    nav = "map-nav"


class Reported:
    query = "rep-query"
    sink = "rep-url-sink"
    metric = "rep-metric"
    place = "rep-place"
    publisher = "rep-publisher"
    q = "rep-q"
    percap = "rep-percap"
    graph = "rep-graph"
    alt = "rep-alt"
    count = "rep-count"
    list = "rep-list"


class Violence:
    query = "vio-query"
    sink = "vio-url-sink"
    level = "vio-level"
    places = "vio-places"
    measure = "vio-measure"
    from_ = "vio-from"
    to = "vio-to"
    freq = "vio-freq"
    subtype = "vio-subtype"
    sex = "vio-sex"
    homicides = "vio-homicides"
    homicides_alt = "vio-homicides-alt"
    victims = "vio-victims"
    victims_alt = "vio-victims-alt"
    subtypes = "vio-subtypes"
    subtypes_alt = "vio-subtypes-alt"


class Data:
    query = "data-query"
    changes = "data-changes"
    sink = "data-url-sink"
    table = "data-table"
    sort = "data-sort"
    order = "data-order"
    filter_col = "data-filter-col"
    filter_text = "data-filter-text"
    page = "data-page"
    size = "data-size"
    prev = "data-prev"
    next = "data-next"
    info = "data-info"
    rows = "data-rows"
    downloads = "data-downloads"
    dictionary = "data-dictionary"
    sources = "data-sources"
    pages = "data-pages"
