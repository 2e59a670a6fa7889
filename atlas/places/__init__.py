"""Place knowledge for the whole project: countries, regions, cities and towns in English and Chinese.

`atlas.places.countries` answers about countries; `atlas.places.gazetteer` about every other place
(`gazetteer()` is the one shared instance of a process); `atlas.places.geocode` turns both into
geopy-style geocoders.
"""
