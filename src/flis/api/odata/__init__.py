"""A read-only OData v4 feed over published data (Power BI, Excel)."""
