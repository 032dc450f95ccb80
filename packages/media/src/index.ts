export { type MediaFamily, type MediaFormat, type MediaSignature, sniffMedia } from "./sniff.js";
