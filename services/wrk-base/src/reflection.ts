// gRPC server reflection (v1 and v1alpha) over the file descriptors that `buf build` made from
// proto/ (DESCRIPTOR_SET_BASE64, generated into @bookstore/proto's src/generated/descriptor-set.ts), served byte for byte.
//
// Why not @grpc/reflection: it serves descriptors that protobufjs re-synthesises, one file per
// package with no imports listed, which strict clients (grpcurl, buf curl, Go's and Java's
// runtimes) cannot link. Here every file keeps its name, package and imports, and an answer
// carries the file and the imports this stream has not been sent yet, as grpc-go's server does.
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import descriptor, {
  type IDescriptorProto,
  type IEnumDescriptorProto,
  type IFieldDescriptorProto,
  type IFileDescriptorProto,
} from "protobufjs/ext/descriptor/index.js";
import protobuf from "protobufjs";
import { DESCRIPTOR_SET_BASE64 } from "@bookstore/proto";

/** The reflection services this module adds, newest first (grpcurl and buf curl try v1 first). */
export const REFLECTION_SERVICES = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"] as const;

/** One encoded FileDescriptorProto with what the index needs of it. */
interface IndexedFile {
  name: string;
  dependencies: string[];
  bytes: Uint8Array;
}

/** The request and answer shapes as proto-loader decodes them from descriptors: the fields keep their proto names. */
interface ReflectionRequest {
  host?: string;
  message_request?: "file_by_filename" | "file_containing_symbol" | "file_containing_extension" | "all_extension_numbers_of_type" | "list_services";
  file_by_filename?: string;
  file_containing_symbol?: string;
  file_containing_extension?: { containing_type?: string; extension_number?: number };
  all_extension_numbers_of_type?: string;
  list_services?: string;
}

interface ReflectionResponse {
  valid_host: string;
  original_request: ReflectionRequest;
  file_descriptor_response?: { file_descriptor_proto: Uint8Array[] };
  all_extension_numbers_response?: { base_type_name: string; extension_number: number[] };
  list_services_response?: { service: Array<{ name: string }> };
  error_response?: { error_code: number; error_message: string };
}

class NotFound extends Error {}

/** Splits an encoded FileDescriptorSet into its files' own bytes (field 1, repeated). */
function splitFileDescriptorSet(set: Uint8Array): Uint8Array[] {
  const reader = protobuf.Reader.create(set);
  const files: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === 2) files.push(reader.bytes());
    else reader.skipType(tag & 7);
  }
  return files;
}

/** The reflection index: files by name, and the file that defines each symbol and extension. */
export class DescriptorIndex {
  readonly files = new Map<string, IndexedFile>();
  /** Every fully qualified name a client may ask about: messages, fields, enums, values, services, methods. */
  readonly symbols = new Map<string, IndexedFile>();
  /** Message type name → extension field number → the file that declares the extension. */
  readonly extensions = new Map<string, Map<number, IndexedFile>>();
  readonly messageTypes = new Set<string>();

  constructor(set: Uint8Array) {
    for (const bytes of splitFileDescriptorSet(set)) {
      const proto = descriptor.FileDescriptorProto.decode(bytes) as unknown as IFileDescriptorProto;
      const name = proto.name ?? "";
      if (this.files.has(name)) throw new Error(`descriptor set: ${name} twice`);
      const file: IndexedFile = { name, dependencies: (proto.dependency as string[] | undefined) ?? [], bytes };
      this.files.set(name, file);
      this.indexFile(proto, file);
    }
    for (const file of this.files.values()) {
      for (const dependency of file.dependencies) {
        if (!this.files.has(dependency)) throw new Error(`descriptor set: ${file.name} imports ${dependency}, which is missing`);
      }
    }
  }

  /** The file and, breadth first, its imports that are not in `sent` yet (the first file always). */
  withDependencies(file: IndexedFile, sent: Set<string>): Uint8Array[] {
    const answer: Uint8Array[] = [];
    const queue = [file];
    for (let current = queue.shift(); current; current = queue.shift()) {
      if (answer.length === 0 || !sent.has(current.name)) {
        sent.add(current.name);
        answer.push(current.bytes);
      }
      for (const dependency of current.dependencies) {
        const imported = this.files.get(dependency);
        // Present: the constructor checked every import.
        if (imported && !sent.has(dependency)) queue.push(imported);
      }
    }
    return answer;
  }

  private indexFile(proto: IFileDescriptorProto, file: IndexedFile): void {
    const scope = proto.package ? `${proto.package}.` : "";
    for (const message of proto.messageType ?? []) this.indexMessage(message, scope, file);
    for (const enumType of proto.enumType ?? []) this.indexEnum(enumType, scope, file);
    for (const extension of proto.extension ?? []) this.indexExtension(extension, scope, file);
    for (const service of proto.service ?? []) {
      const serviceName = `${scope}${service.name}`;
      this.symbols.set(serviceName, file);
      for (const method of service.method ?? []) this.symbols.set(`${serviceName}.${method.name}`, file);
    }
  }

  private indexMessage(message: IDescriptorProto, scope: string, file: IndexedFile): void {
    const name = `${scope}${message.name}`;
    this.symbols.set(name, file);
    this.messageTypes.add(name);
    for (const field of message.field ?? []) this.symbols.set(`${name}.${field.name}`, file);
    for (const oneof of message.oneofDecl ?? []) this.symbols.set(`${name}.${oneof.name}`, file);
    for (const nested of message.nestedType ?? []) this.indexMessage(nested, `${name}.`, file);
    for (const enumType of message.enumType ?? []) this.indexEnum(enumType, `${name}.`, file);
    for (const extension of message.extension ?? []) this.indexExtension(extension, `${name}.`, file);
  }

  /** Enum values are siblings of their enum in protobuf's scoping: `pkg.VALUE`, not `pkg.Enum.VALUE`. */
  private indexEnum(enumType: IEnumDescriptorProto, scope: string, file: IndexedFile): void {
    this.symbols.set(`${scope}${enumType.name}`, file);
    for (const value of enumType.value ?? []) this.symbols.set(`${scope}${value.name}`, file);
  }

  private indexExtension(extension: IFieldDescriptorProto, scope: string, file: IndexedFile): void {
    this.symbols.set(`${scope}${extension.name}`, file);
    const extendee = (extension.extendee ?? "").replace(/^\./, "");
    const byNumber = this.extensions.get(extendee) ?? new Map<number, IndexedFile>();
    byNumber.set(extension.number ?? 0, file);
    this.extensions.set(extendee, byNumber);
  }
}

let generatedDefinition: protoLoader.PackageDefinition | undefined;

/** Every type and service of the generated descriptor set, as proto-loader defines them (field names as in the .proto). */
export function descriptorDefinition(): protoLoader.PackageDefinition {
  generatedDefinition ??= protoLoader.loadFileDescriptorSetFromBuffer(Buffer.from(DESCRIPTOR_SET_BASE64, "base64"), { oneofs: true });
  return generatedDefinition;
}

let generatedIndex: DescriptorIndex | undefined;

/** The index of the generated descriptor set, built once per process. */
export function descriptorIndex(): DescriptorIndex {
  generatedIndex ??= new DescriptorIndex(Buffer.from(DESCRIPTOR_SET_BASE64, "base64"));
  return generatedIndex;
}

/** Serves reflection for the given services (listed as they are given) from the index. */
export class ReflectionServer {
  private readonly index: DescriptorIndex;
  private readonly services: readonly string[];

  constructor(services: readonly string[], index: DescriptorIndex = descriptorIndex()) {
    this.index = index;
    for (const service of services) {
      if (!index.symbols.has(service)) throw new Error(`reflection: service ${service} is not in the descriptor set (run npm run proto:gen)`);
    }
    this.services = services;
  }

  addToServer(server: grpc.Server): void {
    const definition = descriptorDefinition();
    for (const name of REFLECTION_SERVICES) {
      server.addService(definition[name] as grpc.ServiceDefinition, {
        ServerReflectionInfo: (stream: grpc.ServerDuplexStream<ReflectionRequest, ReflectionResponse>) => {
          // Files already sent on this stream are not sent again with later answers, as in grpc-go.
          const sent = new Set<string>();
          stream.on("data", (request: ReflectionRequest) => stream.write(this.answer(request, sent)));
          stream.on("end", () => stream.end());
        },
      });
    }
  }

  /** The answer to one request of the stream; a lookup that fails is an error answer, not a stream error. */
  answer(request: ReflectionRequest, sent: Set<string>): ReflectionResponse {
    const response: ReflectionResponse = { valid_host: request.host ?? "", original_request: request };
    try {
      switch (request.message_request) {
        case "list_services":
          response.list_services_response = { service: this.services.map((name) => ({ name })) };
          break;
        case "file_by_filename":
          response.file_descriptor_response = { file_descriptor_proto: this.index.withDependencies(this.file(request.file_by_filename ?? ""), sent) };
          break;
        case "file_containing_symbol":
          response.file_descriptor_response = { file_descriptor_proto: this.index.withDependencies(this.symbol(request.file_containing_symbol ?? ""), sent) };
          break;
        case "file_containing_extension": {
          const { containing_type = "", extension_number = 0 } = request.file_containing_extension ?? {};
          const file = this.index.extensions.get(containing_type)?.get(extension_number);
          if (!file) throw new NotFound(`extension ${extension_number} of ${containing_type} not found`);
          response.file_descriptor_response = { file_descriptor_proto: this.index.withDependencies(file, sent) };
          break;
        }
        case "all_extension_numbers_of_type": {
          const type = request.all_extension_numbers_of_type ?? "";
          if (!this.index.messageTypes.has(type)) throw new NotFound(`message type ${type} not found`);
          response.all_extension_numbers_response = { base_type_name: type, extension_number: [...(this.index.extensions.get(type)?.keys() ?? [])] };
          break;
        }
        default:
          response.error_response = { error_code: grpc.status.INVALID_ARGUMENT, error_message: "reflection request names no known message_request" };
      }
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
      response.error_response = { error_code: grpc.status.NOT_FOUND, error_message: error.message };
    }
    return response;
  }

  private file(name: string): IndexedFile {
    const file = this.index.files.get(name);
    if (!file) throw new NotFound(`file ${name} not found`);
    return file;
  }

  private symbol(name: string): IndexedFile {
    const file = this.index.symbols.get(name);
    if (!file) throw new NotFound(`symbol ${name} not found`);
    return file;
  }
}
