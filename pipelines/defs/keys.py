"""Every asset's key, in one place (a module that imports nothing heavy)."""

import dagster as dg

LISTING = dg.AssetKey(["crawl", "listing"])
RAW_DOCUMENTS = dg.AssetKey(["crawl", "raw_documents"])
PARSED_RECORDS = dg.AssetKey(["parse", "parsed_records"])
# The dbt project reads the normalised tables as the source `polefunds`: same asset keys, so
# the lineage runs from the crawl to the marts.
SOURCE = "polefunds"
PUBLISHED = dg.AssetKey(["publish", "warehouse"])
EXPORTED_MARTS = dg.AssetKey(["exports", "marts"])
EXPORTED_SCDL = dg.AssetKey(["exports", "scdl"])
REPORT = dg.AssetKey(["report", "html"])


def table_key(name: str) -> dg.AssetKey:
    """The asset key of a normalised table (polefunds/<table>)."""
    return dg.AssetKey([SOURCE, name])
