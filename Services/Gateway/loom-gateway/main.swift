import LoomGateway
import LoomServiceRuntime

await ServiceMain.run(service: "gateway", GatewayService.assemble)
