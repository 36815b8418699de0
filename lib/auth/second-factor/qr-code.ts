import QRCode from "qrcode";

/**
 * An otpauth URI as a QR code, as SVG markup drawn on the server: no script
 * and no image request, so the secret never leaves the page it is shown on.
 * Error correction M, the authenticator apps' usual.
 */
export function qrCodeSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
