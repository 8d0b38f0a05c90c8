"""KCN Warehouse: monthly submissions of industrial-zone boards and districts, validated and modelled."""
