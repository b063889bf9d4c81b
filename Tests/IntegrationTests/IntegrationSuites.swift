import Testing

/// Every suite that starts the real executables runs inside this one, one at a time: each
/// starts six services (and sometimes provider peers), and several at once on two cores turn
/// timing margins into failures without testing anything more.
@Suite(.serialized) enum IntegrationSuites {}
