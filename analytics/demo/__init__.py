"""The synthetic demo database (always labelled *Data contoh (sintetis)*): the build, the synthetic
layers, demo value chains and business models, demo monitoring records. Uses every stage; nothing else
imports it."""
