// The configuration types are the daemon's API: whoever imports VigilDaemon gets them.
@_exported import VigilConfig
