"""KCN Warehouse: monthly reports of industrial-zone boards and districts, validated, modelled."""
