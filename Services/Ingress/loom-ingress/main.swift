import LoomIngress
import LoomServiceRuntime

await ServiceMain.run(service: "ingress", IngressService.assemble)
