"""Reading tables of pora.names and the script that writes them (build_tables)."""
