// Dropsight: placeholder until the module lands.
