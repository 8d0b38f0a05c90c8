"""What the warehouse tells its users about the monthly loads: status and summaries."""
