"""The demo country: realistic submissions of every board and district, run through the
whole pipeline. Apart from the product: nothing in the pipeline imports it."""
