package inquiry

// APIDefault is apiDefault, for TestTelemetryInstalledLater.
var APIDefault = apiDefault
