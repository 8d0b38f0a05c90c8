"""The warehouse database: connections, the embedded server, the pipeline's schema."""
