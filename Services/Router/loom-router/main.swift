import LoomRouter
import LoomServiceRuntime

await ServiceMain.run(service: "router", RouterService.assemble)
