// Systemd: placeholder until the module lands.
