// Watcher: placeholder until the module lands.
